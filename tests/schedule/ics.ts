/**
 * A strict, test-side iCalendar (RFC 5545) reader for what `trialc schedule --format
 * ics` writes: it checks the physical form (CRLF only, lines of at most 75 octets,
 * folding), the content-line grammar, component nesting, the properties a VCALENDAR
 * and a VEVENT must have (once), DATE and UTC DATE-TIME values, DTEND after DTSTART,
 * unique UIDs and TEXT escaping, and returns the events with their values unescaped.
 * Every rule it checks throws with the line it failed on, so a test can also show that
 * broken calendars are refused.
 */

/** One property: name, parameters and raw value (TEXT values also unescaped). */
export interface IcsProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}

export interface IcsEvent {
  props: IcsProperty[];
  /** The first value of a property, TEXT unescaped. */
  get(name: string): string | undefined;
  param(name: string, param: string): string | undefined;
}

export interface IcsCalendar {
  props: IcsProperty[];
  events: IcsEvent[];
}

const TEXT_PROPS = new Set(["SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "UID"]);

/** Undo TEXT escaping, refusing what RFC 5545 does not allow in a TEXT value. */
export function unescapeText(v: string, where: string): string {
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === "\\") {
      const n = v[++i];
      if (n === "n" || n === "N") out += "\n";
      else if (n === "\\" || n === ";" || n === ",") out += n;
      else throw new Error(`${where}: bad escape "\\${n ?? ""}"`);
    } else if (c === ";" || c === ",") throw new Error(`${where}: unescaped "${c}" in a TEXT value`);
    else if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(c))
      throw new Error(`${where}: control character U+${c.charCodeAt(0).toString(16)} in a TEXT value`);
    else out += c;
  }
  return out;
}

function validDate(s: string, where: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) throw new Error(`${where}: "${s}" is not a DATE (YYYYMMDD)`);
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  if (d.getUTCFullYear() !== +m[1]! || d.getUTCMonth() !== +m[2]! - 1 || d.getUTCDate() !== +m[3]!)
    throw new Error(`${where}: "${s}" is not a real date`);
  return d;
}

/** Split a content line into name, parameters and value (RFC 5545 §3.1). */
function contentLine(line: string, where: string): IcsProperty {
  const m = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)*):(.*)$/.exec(line);
  if (!m) throw new Error(`${where}: not a content line: ${JSON.stringify(line)}`);
  const params: Record<string, string> = {};
  for (const p of m[2]!.split(";").slice(1)) {
    const [k, ...rest] = p.split("=");
    params[k!.toUpperCase()] = rest.join("=");
  }
  return { name: m[1]!.toUpperCase(), params, value: m[3]! };
}

const once = (props: IcsProperty[], name: string, where: string): IcsProperty => {
  const found = props.filter((p) => p.name === name);
  if (found.length !== 1) throw new Error(`${where}: ${name} must appear exactly once (found ${found.length})`);
  return found[0]!;
};

/** Parse and validate; throws on the first violation. */
export function parseIcs(text: string): IcsCalendar {
  if (!text.endsWith("\r\n")) throw new Error("the file must end with CRLF");
  if (/\r(?!\n)|(?<!\r)\n/.test(text)) throw new Error("line breaks must all be CRLF");
  const physical = text.slice(0, -2).split("\r\n");
  physical.forEach((l, i) => {
    if (Buffer.byteLength(l, "utf8") > 75)
      throw new Error(`line ${i + 1} is ${Buffer.byteLength(l, "utf8")} octets, more than 75`);
  });
  const logical: { text: string; line: number }[] = [];
  physical.forEach((l, i) => {
    if (l.startsWith(" ") || l.startsWith("\t")) {
      if (!logical.length) throw new Error("the file starts with a continuation line");
      logical[logical.length - 1]!.text += l.slice(1);
    } else logical.push({ text: l, line: i + 1 });
  });
  const stack: string[] = [];
  const cal: IcsCalendar = { props: [], events: [] };
  let current: IcsProperty[] | null = null;
  for (const { text: l, line } of logical) {
    const where = `line ${line}`;
    const p = contentLine(l, where);
    if (TEXT_PROPS.has(p.name)) p.value = unescapeText(p.value, `${where} (${p.name})`);
    if (p.name === "BEGIN") {
      if (stack.length === 0 && p.value !== "VCALENDAR")
        throw new Error(`${where}: the outer component must be VCALENDAR`);
      if (stack.length > 0 && stack[0] === "VCALENDAR" && stack.length === 1 && p.value === "VEVENT") current = [];
      stack.push(p.value);
      continue;
    }
    if (p.name === "END") {
      if (stack.pop() !== p.value) throw new Error(`${where}: END:${p.value} does not close the open component`);
      if (p.value === "VEVENT" && current) (cal.events.push(eventOf(current, where)), (current = null));
      if (stack.length === 0 && line !== logical[logical.length - 1]!.line)
        throw new Error(`${where}: content after END:VCALENDAR`);
      continue;
    }
    if (stack.length === 0) throw new Error(`${where}: property outside VCALENDAR`);
    (current ?? cal.props).push(p);
  }
  if (stack.length) throw new Error(`unclosed component ${stack.join(" > ")}`);
  if (once(cal.props, "VERSION", "VCALENDAR").value !== "2.0") throw new Error("VERSION must be 2.0");
  once(cal.props, "PRODID", "VCALENDAR");
  const uids = cal.events.map((e) => e.get("UID"));
  if (new Set(uids).size !== uids.length) throw new Error("UIDs are not unique");
  return cal;
}

function eventOf(props: IcsProperty[], where: string): IcsEvent {
  once(props, "UID", where);
  if (!/^\d{8}T\d{6}Z$/.test(once(props, "DTSTAMP", where).value))
    throw new Error(`${where}: DTSTAMP must be a UTC date-time`);
  const start = once(props, "DTSTART", where);
  const ends = props.filter((p) => p.name === "DTEND");
  if (ends.length > 1) throw new Error(`${where}: DTEND appears twice`);
  if (start.params.VALUE === "DATE") {
    const s = validDate(start.value, `${where} DTSTART`);
    if (ends[0]) {
      if (ends[0].params.VALUE !== "DATE") throw new Error(`${where}: DTEND must be a DATE like DTSTART`);
      if (validDate(ends[0].value, `${where} DTEND`) <= s) throw new Error(`${where}: DTEND must be after DTSTART`);
    }
  }
  return {
    props,
    get: (name) => props.find((p) => p.name === name)?.value,
    param: (name, param) => props.find((p) => p.name === name)?.params[param],
  };
}
