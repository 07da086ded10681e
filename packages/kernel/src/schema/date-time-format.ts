/**
 * RFC 3339 `date-time`, as strict as ajv-formats' full mode (real calendar days, leap years,
 * hours 00-23, leap second 60) but with one regular expression instead of three, and a memo of
 * the last two strings checked: a burst of events usually shares one timestamp in its envelopes
 * (`time`) and one in its data (an `observedAt`), and the two alternate. (A memo of one missed
 * every time there: the regular expression and calendar checks were 5 % of a received event.)
 * Events carry timestamps in most contracts, so this sits on the publish and receive hot paths.
 */
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:[Zz]|([+-])(\d\d):(\d\d))$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

let recentInput = '';
let recentResult = false;
let olderInput = '';
let olderResult = false;

export function isDateTime(value: string): boolean {
  if (value === recentInput) return recentResult;
  if (value === olderInput) return olderResult;
  olderInput = recentInput;
  olderResult = recentResult;
  recentInput = value;
  recentResult = check(value);
  return recentResult;
}

function check(value: string): boolean {
  const match = DATE_TIME.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS[month]!)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (match[7] !== undefined && (Number(match[8]) > 23 || Number(match[9]) > 59)) return false;
  return true;
}
