/**
 * RFC 3339 `date-time`, as strict as ajv-formats' full mode (real calendar days, leap years,
 * hours 00-23, leap second 60) but with one regular expression instead of three, and a one-entry
 * memo: a burst of detector readings usually shares one timestamp. Events carry timestamps in
 * most contracts, so this sits on the publish hot path.
 */
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:[Zz]|([+-])(\d\d):(\d\d))$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

let lastInput = '';
let lastResult = false;

export function isDateTime(value: string): boolean {
  if (value === lastInput) return lastResult;
  lastInput = value;
  lastResult = check(value);
  return lastResult;
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
