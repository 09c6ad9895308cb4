import { bbl } from "../../format";

export interface TrendPoint {
  label: string;
  /** Allocated barrels per day of the period: periods of different lengths compare. */
  perDay: number;
  total: number;
}

/** A small line chart of a partner's allocation per period (bbl/day), drawn as plain SVG. */
export function TrendChart({ points, title }: { points: TrendPoint[]; title: string }) {
  if (points.length === 0) return <p class="muted">No completed statements yet.</p>;
  const w = 640;
  const h = 200;
  const pad = { left: 72, right: 16, top: 16, bottom: 40 };
  const max = Math.max(...points.map((p) => p.perDay));
  const min = Math.min(0, ...points.map((p) => p.perDay));
  const top = max === min ? max + 1 : max * 1.1;
  const x = (i: number) => pad.left + (points.length === 1 ? (w - pad.left - pad.right) / 2 : (i * (w - pad.left - pad.right)) / (points.length - 1));
  const y = (v: number) => pad.top + (1 - (v - min) / (top - min)) * (h - pad.top - pad.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => min + f * (top - min));
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.perDay).toFixed(1)}`).join(" ");
  return (
    <figure class="trend">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby="trend-title trend-desc" data-testid="trend-chart">
        <title id="trend-title">{title}</title>
        <desc id="trend-desc">{points.map((p) => `${p.label}: ${bbl(p.perDay)} bbl/day`).join("; ")}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.left} x2={w - pad.right} y1={y(t)} y2={y(t)} class="grid" />
            <text x={pad.left - 8} y={y(t) + 4} text-anchor="end" class="tick">{Math.round(t).toLocaleString("en-US")}</text>
          </g>
        ))}
        <path d={path} class="line" />
        {points.map((p, i) => (
          <g key={p.label}>
            <circle cx={x(i)} cy={y(p.perDay)} r={4} class="point" />
            <text x={x(i)} y={h - pad.bottom + 18} text-anchor="middle" class="tick">{p.label}</text>
          </g>
        ))}
        <text x={14} y={pad.top + (h - pad.top - pad.bottom) / 2} transform={`rotate(-90 14 ${pad.top + (h - pad.top - pad.bottom) / 2})`} text-anchor="middle" class="axis">bbl/day</text>
      </svg>
      <figcaption class="muted small-text">Allocated barrels per day of each period (completed versions only).</figcaption>
    </figure>
  );
}
