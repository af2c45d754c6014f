// The benchmark's chart: two panels of horizontal bars, requests/s and p99 latency, one bar per
// target and database. Plain SVG text with no dependency, readable on a light or dark page.

const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A tidy upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/**
 * bars: [{label, requestsPerSecond, p99}], in display order. Returns the SVG document.
 * Values that are not finite get an empty bar labelled "-".
 */
export function ingestChartSvg(bars, { title = 'Ingest: requests/s and p99 latency per target' } = {}) {
  const labelWidth = 250;
  const panelWidth = 300;
  const gap = 40;
  const rowHeight = 26;
  const top = 56;
  const height = top + bars.length * rowHeight + 30;
  const width = labelWidth + 2 * panelWidth + gap + 70;
  const panels = [
    { title: 'requests/s (higher is better)', field: 'requestsPerSecond', x: labelWidth, color: '#2f6fb0', format: (v) => Math.round(v).toLocaleString('en-US') },
    { title: 'p99 latency, ms (lower is better)', field: 'p99', x: labelWidth + panelWidth + gap, color: '#c0622a', format: (v) => (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US')) },
  ];
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escape(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold" fill="#222">${escape(title)}</text>`,
  ];
  for (const panel of panels) {
    const max = niceMax(Math.max(0, ...bars.map((b) => b[panel.field]).filter(Number.isFinite)));
    const scale = (panelWidth - 10) / max;
    out.push(`<text x="${panel.x}" y="${top - 18}" fill="#222">${escape(panel.title)}</text>`);
    out.push(`<line x1="${panel.x}" y1="${top - 6}" x2="${panel.x}" y2="${top + bars.length * rowHeight}" stroke="#888"/>`);
    out.push(`<text x="${panel.x + panelWidth - 10}" y="${top + bars.length * rowHeight + 16}" text-anchor="end" fill="#555">${escape(panel.format(max))}</text>`);
    bars.forEach((bar, i) => {
      const value = bar[panel.field];
      const y = top + i * rowHeight;
      const w = Number.isFinite(value) ? Math.max(1, value * scale) : 0;
      out.push(`<rect x="${panel.x}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="${panel.color}"/>`);
      out.push(`<text x="${(panel.x + w + 4).toFixed(1)}" y="${y + rowHeight - 12}" fill="#222">${Number.isFinite(value) ? escape(panel.format(value)) : '-'}</text>`);
    });
  }
  bars.forEach((bar, i) => {
    out.push(`<text x="${labelWidth - 8}" y="${top + i * rowHeight + rowHeight - 12}" text-anchor="end" fill="#222">${escape(bar.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
