import type { AccountabilityView, Spread } from './accountability-view.js';

/** Every string that reaches the page goes through here: event text is never markup. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const minutes = (ms: number | null) => (ms === null ? '–' : `${(ms / 60_000).toFixed(1)} min`);
const spread = (s: Spread) => `${minutes(s.median)} / ${minutes(s.p90)}`;

/** The public, read-only transparency page: plain HTML rendered on the server, no script. */
export function transparencyPage(view: AccountabilityView, cityName: string): string {
  const e = escapeHtml;
  const rows = view.departments
    .map((d) => `<tr><td>${e(d.department)}</td><td>${e(d.service)}</td><td>${d.handled}</td><td>${d.resolved}</td><td>${e(spread(d.firstActionMs))}</td><td>${e(spread(d.resolutionMs))}</td><td>${d.withinSla === null ? '–' : `${Math.round(d.withinSla * 100)}%`}</td><td>${d.openOverdue}</td></tr>`)
    .join('\n');
  const cases = view.cases
    .map((c) => `<li><strong>${e(c.service)}</strong> (${e(c.status)}${c.overdue ? ', overdue' : ''}) <ol>${c.steps.map((s) => `<li>${e(s.at)} ${e(s.by)}: ${e(s.did)}${s.about ? ` (${e(s.about)})` : ''}</li>`).join('')}</ol></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(cityName)}: how the city answers</title></head>
<body><h1>${e(cityName)}: how the city answers</h1>
<p>Computed from the city's event chains at ${e(view.generatedAt)}; times are median / 90th percentile.</p>
<table><thead><tr><th>Department</th><th>Service</th><th>Handled</th><th>Resolved</th><th>First action</th><th>Resolution</th><th>Within SLA</th><th>Open overdue</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Cases</h2><ul>
${cases}
</ul></body></html>
`;
}
