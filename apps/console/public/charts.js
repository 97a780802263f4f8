// Small drawing helpers shared by the manager's pages: SVG elements, rates, heat-map shading.
const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with its attributes and, optionally, its text. */
export function svgEl(tag, attrs = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) element.setAttribute(k, String(v));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** An <svg> chart that reads as one image to a screen reader, named by `label`. */
export function svgChart(width, height, label, className = 'chart') {
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: className });
  svg.append(svgEl('title', {}, label));
  return svg;
}

export function percent(rate) {
  return rate === undefined || rate === null || Number.isNaN(rate) ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

/** A part of a whole as a rate; 0 with no whole (as the server's ratios). */
export function ratio(part, whole) {
  return whole ? part / whole : 0;
}

/** The heat maps' green: the higher the rate, the darker; light enough that dark text stays readable (WCAG AA). */
export function heatStyle(rate) {
  if (rate === null || rate === undefined) return '';
  return `background: rgba(15, 115, 82, ${(0.06 + Math.max(0, Math.min(1, rate)) * 0.54).toFixed(3)})`;
}

/** Whole minutes, or a dash when there is no value. */
export function minutes(value) {
  return value === null || value === undefined ? '—' : String(Math.round(value));
}
