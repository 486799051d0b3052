/**
 * The benchmark cohort: `n` synthetic patients of the seed protocol, the same on every
 * run (a seeded generator). Each is a full record (every element the seed reads), in
 * each element's own unit as JSON numbers, with about 1 % of the values missing and
 * about 3 % of each laboratory value below its threshold, so that every verdict occurs.
 * Laboratory results are dated (one blood draw in the 4 weeks before D0), as a site sends
 * them, so that the seed protocol's selection windows read them. Each record is parsed
 * from JSON, as records from outside are; a missing value is an absent field.
 */

/** mulberry32: a small deterministic generator of numbers in [0, 1). */
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

const iso = (days: number) => new Date(Date.UTC(2027, 0, 4) + days * 86400000).toISOString().slice(0, 10);

export function cohort(n: number, seed = 20261202): Record<string, unknown>[] {
  const r = rng(seed);
  const chance = (p: number) => r() < p;
  /** A value with one decimal; below `low` with probability 3 %. */
  const lab = (low: number, high: number, threshold: number, below: number) =>
    Math.round((chance(0.03) ? below + r() * (threshold - below) : threshold + r() * (high - threshold)) * 10) / 10;
  const maybe = <T>(v: T): T | undefined => (chance(0.01) ? undefined : v);
  /** A quantity; `uln`, when given, is its upper limit of normal in the same unit. */
  const qty = (value: number, unit: string, uln?: number, extra: Record<string, string> = {}) =>
    maybe(uln === undefined ? { value, unit, ...extra } : { value, unit, uln: { value: uln, unit }, ...extra });
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const female = chance(0.5);
    const childbearing = female && chance(0.3);
    // One blood draw, dated within the labs' window (the 4 weeks before D0, 2027-01-18).
    const drawn = { at: iso(13 - Math.floor(r() * 27)) };
    const p: Record<string, unknown> = {
      anchors: { inclusion: "2027-01-04", D0: "2027-01-18" },
      birth_date: maybe(iso(-Math.floor(365.25 * (17.9 + r() * 70)))),
      sex: maybe(female ? "female" : "male"),
      informed_consent: maybe(chance(0.99)),
      consent_at: maybe("2026-12-14T09:30"),
      first_study_procedure_at: maybe(chance(0.98) ? "2026-12-21T08:00" : "2026-12-10T08:00"),
      histology_proven_net: maybe(chance(0.98)),
      primary_site: maybe(chance(0.95) ? "pancreas" : chance(0.5) ? "colon" : "unknown_primary"),
      advanced_disease: maybe(chance(0.99)),
      refractory_disease: maybe(chance(0.97)),
      resectable_with_curative_intent: maybe(chance(0.02)),
      uncontrolled_brain_metastases: maybe(chance(0.02)),
      uncontrolled_condition: maybe(chance(0.02)),
      ecog: maybe(chance(0.95) ? (chance(0.5) ? 0 : 1) : 2),
      radiology_assessments: [
        { date: iso(-300), modality: "mri", recist_response: "SD" },
        {
          date: iso(-Math.floor(r() * 400)),
          modality: chance(0.5) ? "mri" : "ct",
          recist_response: chance(0.8) ? "PD" : "SD",
        },
      ],
      ssr_scans: [],
      symptom_changes: [],
      marker_measurements: [
        { marker: "chromogranin_a", date: iso(-200), value: 310 },
        { marker: "chromogranin_a", date: iso(-100), value: Math.round(250 + r() * 100) },
      ],
      long_acting_ssa_used: chance(0.7),
      last_long_acting_ssa: iso(-Math.floor(r() * 60)),
      short_acting_ssa_used: chance(0.3),
      last_short_acting_ssa: `${iso(-Math.floor(r() * 10))}T20:00`,
      prior_therapies: [
        {
          therapy: chance(0.9) ? "ssa" : "chemotherapy",
          last_administration: iso(-Math.floor(r() * 200)),
          ongoing: false,
        },
      ],
      surgeries: chance(0.5) ? [{ date: iso(-Math.floor(r() * 400)), major: chance(0.5) }] : [],
      prior_ebrt_kidneys: maybe(chance(0.01)),
      prior_ebrt_marrow_fraction: qty(chance(0.97) ? Math.round(r() * 200) / 10 : 30, "%"),
      gfr: qty(lab(0, 250, 50, 20), "mL/min/{1.73_m2}", undefined, { ...drawn, method: "51Cr-EDTA" }),
      gfr_method: maybe(chance(0.97) ? "cr51_edta" : "other"),
      hemoglobin: qty(lab(1, 25, 9, 6), "g/dL", undefined, drawn),
      neutrophils: qty(lab(0, 100, 1.5, 0.5), "10*3/uL", undefined, drawn),
      platelets: qty(lab(0, 2000, 100, 50), "10*3/uL", undefined, drawn),
      total_bilirubin: qty(Math.round((chance(0.03) ? 2.4 + r() * 2 : 0.2 + r() * 2.2) * 10) / 10, "mg/dL", 1.2, drawn),
      ast: qty(lab(0, 200, 10, 5), "U/L", 35, drawn),
      alt: qty(lab(0, 200, 10, 5), "U/L", 35, drawn),
      albumin: qty(lab(0.5, 7, 3, 2), "g/dL", undefined, drawn),
      prothrombin_activity: qty(lab(0, 200, 70, 40), "%", undefined, drawn),
      creatinine: qty(0.9, "mg/dL", 1.2, drawn),
      childbearing_potential: maybe(childbearing),
      partner_childbearing_potential: maybe(!female && chance(0.2)),
      contraception_agreed: maybe(chance(0.97)),
      contraception_refused: maybe(chance(0.01)),
      pregnancy_test_type: childbearing ? "serum" : undefined,
      pregnancy_test_result: childbearing ? (chance(0.98) ? "negative" : "positive") : undefined,
      pregnancy_test_date: childbearing ? iso(-Math.floor(r() * 30)) : undefined,
      pregnant: maybe(chance(0.005)),
      lactating: maybe(chance(0.005)),
      baseline_procedures: ["ga68_pet_ct", "fdg_pet_ct", "mri", "gfr_test", "laboratory"].map((procedure) => ({
        procedure,
        date: iso(14 - 1 - Math.floor(r() * (chance(0.98) ? 27 : 40))),
      })),
      lesions: [
        {
          lesion_id: "L1",
          krenning_score: chance(0.95) ? 3 : 2,
          longest_diameter: { value: Math.round(10 + r() * 40), unit: "mm" },
          recist_measurable: true,
          progressive_on_mri: chance(0.9),
          previously_irradiated: chance(0.05),
        },
      ],
      diffuse_marrow_infiltration_pet: maybe(chance(0.03)),
      diffuse_marrow_infiltration_mri: maybe(chance(0.5)),
    };
    // Records reach an evaluator as JSON (a hospital system's export, a FHIR conversion):
    // each is parsed from its text, as they would be. (Deleting the missing fields from
    // the literal instead left nine records in ten as slow dictionary-mode objects, which
    // no JSON parser produces.)
    out.push(JSON.parse(JSON.stringify(p)) as Record<string, unknown>);
  }
  return out;
}
