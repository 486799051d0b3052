/**
 * A deterministic synthetic OMOP CDM v5.4 cohort for the LuMEn protocol: screened
 * patients with the seed trial's concepts (protocols/omop/lu177-concept-map.csv),
 * realistic laboratory values in the units hospitals report them in, reference
 * ranges, repeated measurements, drug, procedure and condition histories, and missing
 * data. Person `i` depends only on the seed and `i`, so any slice of a cohort can be
 * generated on its own (the benchmark generates 1 M persons in parallel slices).
 */

/** The reference dates of a synthetic screening run. */
export const RUN = { inclusion: "2027-01-04", D0: "2027-01-18", asOf: "2027-01-18" } as const;

/** Rows of the CDM tables trialc reads, with the columns the generator fills (others NULL). */
export interface OmopRows {
  person: [number, number, number, number | null, number | null][];
  observation_period: [number, number, string, string][];
  /** measurement_date is NULL only in the undated results `synthPerson` makes on request (see `undated`). */
  measurement: [
    number,
    number,
    number,
    string | null,
    string | null,
    string | null,
    number | null,
    number | null,
    string | null,
    string | null,
    (string | null)?,
  ][];
  observation: [number, number, number, string, string | null, string | null, number | null, number | null][];
  condition_occurrence: [number, number, number, string][];
  procedure_occurrence: [number, number, number, string, string | null][];
  drug_exposure: [number, number, number, string, string | null, string][];
}

/** Column names of the tuples above, in order. */
export const COLUMNS: Record<keyof OmopRows, string[]> = {
  person: ["person_id", "gender_concept_id", "year_of_birth", "month_of_birth", "day_of_birth"],
  observation_period: [
    "observation_period_id",
    "person_id",
    "observation_period_start_date",
    "observation_period_end_date",
  ],
  measurement: [
    "measurement_id",
    "person_id",
    "measurement_concept_id",
    "measurement_date",
    "measurement_datetime",
    "value_as_number",
    "value_as_concept_id",
    "unit_concept_id",
    "range_low",
    "range_high",
    "measurement_source_value",
  ],
  observation: [
    "observation_id",
    "person_id",
    "observation_concept_id",
    "observation_date",
    "observation_datetime",
    "value_as_number",
    "value_as_concept_id",
    "unit_concept_id",
  ],
  condition_occurrence: ["condition_occurrence_id", "person_id", "condition_concept_id", "condition_start_date"],
  procedure_occurrence: [
    "procedure_occurrence_id",
    "person_id",
    "procedure_concept_id",
    "procedure_date",
    "procedure_datetime",
  ],
  drug_exposure: [
    "drug_exposure_id",
    "person_id",
    "drug_concept_id",
    "drug_exposure_start_date",
    "drug_exposure_start_datetime",
    "drug_exposure_end_date",
  ],
};

/** NOT NULL columns of the CDM DDL the generator does not model, with the value it puts there. */
export const FILLERS: Record<keyof OmopRows, Record<string, string>> = {
  person: { race_concept_id: "0", ethnicity_concept_id: "0" },
  observation_period: { period_type_concept_id: "32817" },
  measurement: { measurement_type_concept_id: "32817" },
  observation: { observation_type_concept_id: "32817" },
  condition_occurrence: { condition_type_concept_id: "32817" },
  procedure_occurrence: { procedure_type_concept_id: "32817" },
  drug_exposure: { drug_type_concept_id: "32817" },
};

export function emptyRows(): OmopRows {
  return {
    person: [],
    observation_period: [],
    measurement: [],
    observation: [],
    condition_occurrence: [],
    procedure_occurrence: [],
    drug_exposure: [],
  };
}

/** mulberry32: small, fast, good enough for test data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day0 = Date.UTC(2027, 0, 18);
/** `YYYY-MM-DD`, `offset` days from D0. */
function dayStr(offset: number): string {
  return new Date(day0 + offset * 86400000).toISOString().slice(0, 10);
}

/** Laboratory tests: concept, units (concept, factor from the first unit), mean and sd in the first unit. */
const LABS: {
  concept: number;
  units: [number, number, number][]; // [unit concept, multiply by, decimals]
  mean: number;
  sd: number;
  min: number;
  max: number;
  uln?: number;
  lln?: number;
  /** Values (and ULNs) at the protocol's thresholds, per unit concept. */
  edges?: Record<number, [string, string?][]>;
}[] = [
  // hemoglobin g/dL | g/L | mmol/L (16114.5 g/mol: 1 g/dL = 0.6206 mmol/L)
  {
    concept: 3000963,
    units: [
      [8713, 1, 1],
      [8636, 10, 0],
      [8753, 0.62056, 3],
    ],
    mean: 11.5,
    sd: 1.8,
    min: 4,
    max: 19,
    lln: 12,
    edges: { 8713: [["9.0"], ["8.9"]], 8636: [["90"], ["89"]], 8753: [["5.585"], ["5.586"]] },
  },
  {
    concept: 3013650,
    units: [
      [8848, 1, 2],
      [9444, 1, 2],
    ],
    mean: 3.5,
    sd: 1.6,
    min: 0.1,
    max: 20,
    lln: 1.8,
    edges: { 8848: [["1.50"], ["1.49"]], 9444: [["1.5"], ["1.499"]] },
  },
  {
    concept: 3024929,
    units: [
      [8848, 1, 0],
      [9444, 1, 0],
    ],
    mean: 210,
    sd: 80,
    min: 10,
    max: 800,
    lln: 150,
    edges: { 8848: [["100"], ["99.999"]], 9444: [["100"], ["99"]] },
  },
  {
    concept: 3004327,
    units: [
      [8848, 1, 2],
      [9444, 1, 2],
    ],
    mean: 1.4,
    sd: 0.6,
    min: 0.1,
    max: 10,
    lln: 1,
  },
  {
    concept: 3000905,
    units: [
      [8848, 1, 1],
      [9444, 1, 1],
    ],
    mean: 6.5,
    sd: 2.2,
    min: 0.5,
    max: 40,
    lln: 4,
  },
  // total bilirubin mg/dL | umol/L (584.66 g/mol: 1 mg/dL = 17.104 umol/L)
  {
    concept: 3024128,
    units: [
      [8840, 1, 2],
      [8749, 17.104, 0],
    ],
    mean: 0.9,
    sd: 0.9,
    min: 0.1,
    max: 12,
    uln: 1.2,
    edges: {
      8840: [
        ["2.40", "1.2"],
        ["2.41", "1.2"],
      ],
      8749: [
        ["41", "20.5"],
        ["41.001", "20.5"],
      ],
    },
  },
  { concept: 3013721, units: [[8645, 1, 0]], mean: 35, sd: 40, min: 5, max: 900, uln: 35 },
  { concept: 3006923, units: [[8645, 1, 0]], mean: 35, sd: 40, min: 5, max: 900, uln: 45 },
  {
    concept: 3024561,
    units: [
      [8713, 1, 1],
      [8636, 10, 0],
    ],
    mean: 3.8,
    sd: 0.6,
    min: 1.5,
    max: 5.5,
    lln: 3.5,
    edges: { 8713: [["3.0"], ["3.001"]], 8636: [["30"], ["30.01"]] },
  },
  {
    concept: 2000000041,
    units: [[8554, 1, 0]],
    mean: 88,
    sd: 15,
    min: 20,
    max: 130,
    edges: { 8554: [["70"], ["70.001"]] },
  },
  {
    concept: 3016723,
    units: [
      [8840, 1, 2],
      [8749, 88.42, 0],
    ],
    mean: 1.0,
    sd: 0.4,
    min: 0.3,
    max: 8,
    uln: 1.2,
  },
];

/** Round to `dp` decimals and print without exponent. */
function fixed(x: number, dp: number): string {
  return x.toFixed(dp);
}

/**
 * The rows of person `pid` (1-based). `ids` numbers the event rows; the caller passes
 * a fresh counter per slice (event ids are `pid * 100 + k`, unique without coordination).
 */
export function synthPerson(seed: number, pid: number, out: OmopRows, boundary = 0, undated = 0): void {
  const r = rng((seed * 0x9e3779b1) ^ (pid * 0x85ebca6b));
  /** With probability `boundary`, a value or date is drawn at a rule's edge instead. */
  const edge = <T>(xs: readonly T[] | undefined, otherwise: () => T): T =>
    xs && xs.length && r() < boundary ? xs[Math.floor(r() * xs.length)]! : otherwise();
  const p = (x: number) => r() < x;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const normal = () => {
    const u = 1 - r();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  };
  const between = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
  let k = 0;
  const id = () => pid * 100 + k++;
  const female = p(0.5);
  const gender = p(0.02) ? 0 : female ? 8532 : 8507;
  const [year, month, dd] = edge(
    [
      [2009, 1, 4],
      [2009, 1, 5],
      [2008, 2, 29],
      [2009, 2, 28],
    ] as const,
    () => [p(0.04) ? between(2009, 2012) : between(1935, 2005), between(1, 12), between(1, 28)] as const,
  );
  out.person.push([pid, gender, year, p(0.02) ? null : month, p(0.03) ? null : dd]);
  if (!p(0.04)) out.observation_period.push([id(), pid, dayStr(-between(400, 4000)), dayStr(between(0, 700))]);

  const obsYesNo = (concept: number, yes: number, missing: number) => {
    if (p(missing)) return;
    out.observation.push([id(), pid, concept, dayStr(-between(1, 60)), null, null, p(yes) ? 4188539 : 4188540, null]);
  };
  obsYesNo(2000000001, 0.9, 0.1);
  obsYesNo(2000000004, 0.05, 0.15);
  obsYesNo(2000000050, female ? 0.3 : 0, 0.2);
  obsYesNo(2000000051, female ? 0 : 0.2, 0.25);
  obsYesNo(2000000071, female ? 0.02 : 0, 0.3);
  obsYesNo(2000000100, 0.05, 0.3);
  obsYesNo(2000000101, 0.5, 0.6);
  if (!p(0.1))
    out.condition_occurrence.push([
      id(),
      pid,
      2000000011 + (p(0.85) ? between(0, 6) : between(7, 8)),
      dayStr(-between(100, 2000)),
    ]);
  if (female && p(0.02)) out.condition_occurrence.push([id(), pid, 2000000070, dayStr(-between(10, 100))]);
  if (!p(0.15))
    out.observation.push([
      id(),
      pid,
      2000000003,
      dayStr(-between(1, 30)),
      null,
      String(p(0.8) ? between(0, 1) : between(2, 4)),
      null,
      null,
    ]);
  if (p(0.3))
    out.observation.push([id(), pid, 2000000031, dayStr(-between(30, 900)), null, fixed(r() * 40, 1), null, 8554]);
  if (p(0.05)) out.procedure_occurrence.push([id(), pid, 2000000030, dayStr(-between(200, 3000)), null]);

  // Somatostatin analogues
  if (p(0.6)) {
    const d = edge([-28, -27], () => -between(10, 80));
    out.drug_exposure.push([id(), pid, 2000000020, dayStr(d), null, dayStr(d)]);
  }
  if (p(0.3)) {
    const atEdge = r() < boundary;
    const d = atEdge ? -2 : -between(1, 6);
    const hh = atEdge ? "00" : String(between(6, 22)).padStart(2, "0");
    const dt = p(0.9) ? `${dayStr(d)} ${hh}:${atEdge ? pick(["00", "01"]) : pick(["00", "15", "30", "45"])}:00` : null;
    out.drug_exposure.push([id(), pid, 2000000021, dayStr(d), dt, dayStr(d)]);
  }

  // Laboratory: the baseline window is [D0 - 4 wk, D0 - 1 d] (days -28 to -1): results inside
  // and outside it, on its edges (-28, -1) and just beyond (-29, 0), some at a time of day,
  // some twice (the latest counts), some tied at the same time (equal or disagreeing), a
  // few in an unconvertible unit and, on request, a few without a date.
  const labDay = () => edge([-28, -29, -1, 0], () => -between(1, 40));
  const when = (day: number): [string | null, string | null] =>
    r() < undated
      ? [null, null]
      : [
          dayStr(day),
          p(0.1) ? `${dayStr(day)} ${String(between(6, 20)).padStart(2, "0")}:${pick(["00", "30"])}:00` : null,
        ];
  for (const lab of LABS) {
    if (p(0.12)) continue;
    const times = p(0.3) ? 2 : 1;
    let first: { date: string | null; dt: string | null; value: string; unit: number; entry: number } | null = null;
    for (let t = 0; t < times; t++) {
      // A second result at the same time as the first: the same value, or one that disagrees.
      const tie: boolean = first !== null && p(0.4);
      const copy: boolean = tie && p(0.5);
      const entry: number = copy ? first!.entry : Math.floor(r() * lab.units.length);
      const [unit, factor, dp]: [number, number, number] = lab.units[entry]!;
      const v = Math.min(lab.max, Math.max(lab.min, lab.mean + lab.sd * normal()));
      const ref = (x: number | undefined) => (x === undefined || p(0.1) ? null : fixed(x * factor, Math.max(dp, 1)));
      const at = lab.edges?.[unit];
      let [date, dt] = when(labDay());
      if (tie) [date, dt] = [first!.date, first!.dt];
      let value = fixed(v * factor, dp);
      let u: number = p(0.01) ? 8795 : unit;
      let uln = ref(lab.uln);
      let lln = ref(lab.lln);
      if (t === 0 && at && r() < boundary) [value, uln] = (([x, y]) => [x, y ?? uln])(pick(at));
      else if (copy) {
        [value, u] = [first!.value, first!.unit];
        // The same value with another laboratory's limits: the limits disagree at that time.
        const other = (x: string | null) => (x === null ? null : fixed(Number(x) * 1.5, 2));
        if (p(0.3)) [uln, lln] = [other(uln), other(lln)];
      }
      out.measurement.push([id(), pid, lab.concept, date, dt, value, null, u, lln, uln]);
      first ??= { date, dt, value, unit: u, entry };
    }
  }
  // GFR by 51Cr-EDTA, by another method (MDRD), or with no method recorded; sometimes two.
  if (!p(0.15)) {
    const n = p(0.25) ? 2 : 1;
    for (let j = 0; j < n; j++) {
      const concept = p(0.6) ? 2000000040 : p(0.6) ? 3049187 : 2000000042;
      const gfr = edge(["50", "49.999"], () => fixed(Math.max(5, 75 + 25 * normal()), 0));
      const [date, dt] = when(labDay());
      out.measurement.push([id(), pid, concept, date, dt, gfr, null, p(0.03) ? 8795 : 9117, null, null]);
    }
  }
  // Pregnancy test (women): serum or urine hCG, negative or positive.
  if (female && p(0.5)) {
    out.measurement.push([
      id(),
      pid,
      p(0.8) ? 2000000060 : 2000000061,
      dayStr(edge([-42, -43, -14], () => -between(1, 40))),
      null,
      null,
      p(0.96) ? 9189 : 9191,
      null,
      null,
      null,
    ]);
  }
  // Procedures: surgeries, baseline work-up before D0.
  if (p(0.2))
    out.procedure_occurrence.push([id(), pid, 2000000085, dayStr(edge([-56, -57], () => -between(5, 400))), null]);
  for (let c = 0; c < 5; c++)
    if (p(0.85))
      out.procedure_occurrence.push([
        id(),
        pid,
        2000000080 + c,
        dayStr(edge([-28, -29, -1, 0], () => -between(1, 34))),
        null,
      ]);
  // Tumour markers: a series of 2 to 4 values per marker, rising for some, each with the
  // laboratory's name for the marker and a unit (a few without either, a few in another unit).
  for (const [marker, names] of [
    [2000000090, ["CgA", "Chromogranin A"]],
    [2000000091, ["NSE"]],
  ] as const) {
    if (p(0.4)) continue;
    const n = between(2, 4);
    const rising = p(0.4);
    const step = between(20, 60);
    const name = pick(names);
    const unit = pick([8842, 8748]);
    let v = 50 + r() * 400;
    for (let j = 0; j < n; j++) {
      out.measurement.push([
        id(),
        pid,
        marker,
        dayStr(-30 - (n - j) * step),
        null,
        fixed(v, 1),
        null,
        p(0.03) ? null : p(0.05) ? (unit === 8842 ? 8748 : 8842) : unit,
        null,
        null,
        p(0.03) ? null : name,
      ]);
      v = rising ? v * (1.05 + r() * 0.3) : v * (0.8 + r() * 0.4);
    }
  }
}

/**
 * Persons `from..to` (inclusive, 1-based). `undated`: the probability that a laboratory
 * result has no date (NULL measurement_date, which the CDM's DDL forbids but an extract
 * may hold); the default 0 keeps the cohort loadable into the DDL as it is.
 */
export function synthCohort(seed: number, from: number, to: number, boundary = 0, undated = 0): OmopRows {
  const out = emptyRows();
  for (let pid = from; pid <= to; pid++) synthPerson(seed, pid, out, boundary, undated);
  return out;
}
