/** Result selections of measured elements, and the trial's time zone (issue 10). */
import { describe, expect, it } from "vitest";
import { compile, compileSnippet, expectClean, expectDiagnostic } from "../helpers.js";

const RULE = 'inclusion I1 "Hb" { rule hb >= 9 g/dL }';

describe("select latest [by METHOD] [between LOW and HIGH]", () => {
  it("lowers a selection into the IR", () => {
    const r = compileSnippet(
      'hb: decimal g/dL select latest by "HPLC" between D0 - 4 wk and D0 - 1 d "Hb" form f',
      RULE,
    );
    expectClean(r);
    const hb = r.ir!.elements.find((e) => e.name === "hb")!;
    expect(hb.label).toBe("Hb");
    expect(hb.select).toMatchObject({
      method: "HPLC",
      text: 'latest by "HPLC" between D0 - 4 wk and D0 - 1 d',
      window: { low: { anchor: "D0" }, high: { anchor: "D0" } },
    });
  });

  it("rejects a selection on an element that holds no results, and reversed windows", () => {
    expectDiagnostic(compileSnippet('n: integer select latest "N" form f', ""), "TRC5004", "measured elements");
    expectDiagnostic(
      compileSnippet('hb: decimal g/dL select latest between D0 - 1 d and D0 - 4 wk "Hb" form f', RULE),
      "TRC4001",
    );
    expectDiagnostic(
      compileSnippet('hb: decimal g/dL select latest between birth and D0 "Hb" form f\nbirth: date "B" form f', RULE),
      "TRC4003",
    );
  });
});

describe("timezone", () => {
  const withZone = (zone: string) =>
    compile(`trial "T-1" { title "T" timezone "${zone}" }
source seed "S" protocol
anchor D0 "D0"
form f "F"
data {
  x: boolean "X" form f
}
inclusion I1 "X" { rule x }
`);
  it("keeps an IANA zone in the IR", () => {
    expect(withZone("Europe/Brussels").ir!.timeZone).toBe("Europe/Brussels");
  });
  it("rejects anything else", () => {
    for (const z of ["CET+1", "Mars/Olympus", "+01:00"]) expectDiagnostic(withZone(z), "TRC4006");
  });
});
