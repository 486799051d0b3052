/** Checks of the schedule, toxicity and response sections. */
import { describe, expect, it } from "vitest";
import { compile, expectClean, expectDiagnostic } from "../helpers.js";

const HEAD = `trial "T" { title "t" }
use ctcae "4.03"
use recist "1.1"
source seed "protocol" protocol
source lit "a paper" literature
anchor D0 "First dose"
anchor cycle "Each dose" repeating
form f "F"
data {
  platelets: decimal 10*3/uL range 0 to 2000 with LLN "Platelets" form f
  albumin: decimal g/dL range 0 to 7 "Albumin" form f
  lesions: records "Lesions" form f {
    longest_diameter: decimal mm range 0 to 500 "Diameter"
  }
  dosimetry: records "Dosimetry" form f {
    kidney_dose: decimal Gy range 0 to 100 "Kidney dose"
    activity: decimal GBq range 0 to 20 "Activity"
  }
}
inclusion I1 "x" { rule platelets >= 100 10*3/uL and albumin > 3 g/dL and any lesions where longest_diameter >= 20 mm }
`;

const SCHEDULE = (
  treatment: string,
  visit = 'visit v "V" between D0 - 4 wk and D0 - 1 d { procedures "Labs" }',
) => `${HEAD}
schedule {
  treatment t "Drug" { ${treatment} }
  ${visit}
}`;

describe("schedule", () => {
  it("accepts a complete treatment", () => {
    const r = compile(SCHEDULE("dose 7.4 GBq cycles 4 first at D0 spacing 11 wk to 13 wk"));
    expectClean(r);
    const t = r.ir!.schedule!.treatments[0]!;
    expect(t).toMatchObject({
      cycles: 4,
      firstAt: "D0",
      dose: { value: "7.4", unit: "GBq" },
      spacing: { min: { amount: "11", unit: "wk" }, max: { amount: "13", unit: "wk" } },
    });
  });

  it("reports a reversed spacing and a reversed visit window", () => {
    expectDiagnostic(compile(SCHEDULE("spacing 13 wk to 11 wk")), "TRC4001", "reversed");
    expectDiagnostic(
      compile(SCHEDULE("cycles 4", 'visit v "V" between D0 - 1 d and D0 - 4 wk { procedures "Labs" }')),
      "TRC4001",
    );
  });

  it("reports a dose without a unit and an unknown anchor", () => {
    expectDiagnostic(compile(SCHEDULE("dose 7.4")), "TRC3001", "dose");
    expectDiagnostic(compile(SCHEDULE("first at D1")), "TRC2001", "D1");
  });

  it("plans each-cycle visits only from a repeating anchor", () => {
    expectDiagnostic(
      compile(SCHEDULE("cycles 4", 'visit v "V" each cycle between D0 + 1 d and D0 + 7 d { procedures "SPECT" }')),
      "TRC5004",
    );
    expectClean(
      compile(
        SCHEDULE("cycles 4", 'visit v "V" each cycle between cycle + 1 d and cycle + 7 d { procedures "SPECT" }'),
      ),
    );
  });
});

const TOX = (body: string, limit = 'parameter kidney_limit "Limit" = 23 Gy { source lit }') => `${HEAD}
${limit}
toxicity {
  organ kidneys "Kidneys" dose dosimetry.kidney_dose limit kidney_limit
  grade platelet_count_decreased "Platelets" from platelets
  ${body}
}`;

describe("toxicity", () => {
  it("accepts organ limits, graded terms and rules, with the limit in the organ's unit", () => {
    const r = compile(
      TOX(
        'stop s "Limit reached" when cumulative kidneys >= kidney_limit\n  delay d "Low platelets" when grade platelet_count_decreased >= 2',
        'parameter kidney_limit "Limit" = 23000 mGy { source lit }',
      ),
    );
    expectClean(r);
    expect(r.ir!.toxicity!.organs[0]!.limit).toEqual({ param: "kidney_limit", value: "23", unit: "Gy" });
  });

  it("needs a source for a dose limit that is not protocol text", () => {
    expectDiagnostic(compile(TOX("", 'parameter kidney_limit "Limit" = 23 Gy')), "TRC5005");
  });

  it("reports an organ dose field that is not a dose, and an unknown CTCAE term", () => {
    expectDiagnostic(
      compile(TOX("").replace("dosimetry.kidney_dose", "dosimetry.activity")),
      "TRC3003",
      "absorbed dose",
    );
    const r = compile(TOX("").replace("grade platelet_count_decreased", "grade platelet_count_decrease"));
    expect(expectDiagnostic(r, "TRC2008").hint).toContain("platelet_count_decreased");
  });

  it("rejects a term graded from an element of the wrong kind", () => {
    expectDiagnostic(compile(TOX("").replace("from platelets", "from albumin")), "TRC3003");
  });

  it("allows grades and organ doses only in the toxicity section", () => {
    const r = compile(`${TOX("")}\nexclusion E1 "x" { rule grade platelet_count_decreased >= 2 }`);
    expectDiagnostic(r, "TRC5004", "toxicity section");
  });
});

describe("response", () => {
  const RESP = (cats: string, recist = "confirmation required after 4 wk") => `${HEAD}
response {
  lesion change of longest_diameter from baseline {
    ${cats}
  }
  recist { ${recist} }
}`;

  it("accepts lesion categories over the change and RECIST settings", () => {
    const r = compile(RESP('category down "Down" when change <= -30 %\n    category same "Same" otherwise'));
    expectClean(r);
    expect(r.ir!.response!.recist!.confirmation).toEqual({ required: true, minIntervalDays: 28 });
    expect(r.ir!.response!.lesion!.records).toBe("lesions");
  });

  it("needs exactly one otherwise category", () => {
    expectDiagnostic(compile(RESP('category down "Down" when change <= -30 %')), "TRC5003", "otherwise");
  });

  it("needs a length for 'too small to measure' (found by the no-crash property: it threw)", () => {
    expectDiagnostic(
      compile(RESP('category same "Same" otherwise', "too small to measure 5 g/dL")),
      "TRC3003",
      "too small to measure",
    );
  });

  it("counts RECIST intervals in days, not months", () => {
    expectDiagnostic(compile(RESP('category same "Same" otherwise', "confirmation required after 1 mo")), "TRC4002");
  });
});

describe("duration ranges that mix calendar and fixed units", () => {
  it("warn when the range can be empty in a short month", () => {
    const r = compile(SCHEDULE("spacing 29 d to 1 mo"));
    const d = expectDiagnostic(r, "TRC4005", "as short as 28 days");
    expect(d.severity).toBe("warning");
    expect(r.ir).not.toBeNull();
    const fine = compile(SCHEDULE("spacing 28 d to 1 mo"));
    expectClean(fine);
    expect(fine.diagnostics.map((x) => x.code)).not.toContain("TRC4005");
  });
});
