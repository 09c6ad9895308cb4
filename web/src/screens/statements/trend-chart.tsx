import type { TrendPoint } from "../../domain/statement-lines";
import { bbl } from "../../format";

/** A partner's allocation per period (bbl/day) as bars, drawn as plain SVG. */
export function TrendChart({ points, title }: { points: TrendPoint[]; title: string }) {
  if (points.length === 0) return <p class="muted">No completed statements yet.</p>;
  const w = 640;
  const h = 220;
  const pad = { left: 64, right: 12, top: 22, bottom: 36 };
  const max = Math.max(...points.map((p) => p.perDay), 1);
  const step = niceStep(max / 4);
  const top = Math.ceil(max / step) * step;
  const plotW = w - pad.left - pad.right;
  const plotH = h - pad.top - pad.bottom;
  const slot = plotW / points.length;
  const barW = Math.min(56, slot * 0.6);
  const y = (v: number) => pad.top + (1 - v / top) * plotH;
  const ticks: number[] = [];
  for (let t = 0; t <= top + 1e-9; t += step) ticks.push(t);
  return (
    <figure class="trend">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby="trend-title trend-desc" data-testid="trend-chart">
        <title id="trend-title">{title}</title>
        <desc id="trend-desc">{points.map((p) => `${p.label}: ${bbl(p.perDay)} bbl/day, ${bbl(p.total)} bbl`).join("; ")}</desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.left} x2={w - pad.right} y1={y(t)} y2={y(t)} class="grid" />
            <text x={pad.left - 8} y={y(t) + 4} text-anchor="end" class="tick">{Math.round(t).toLocaleString("en-US")}</text>
          </g>
        ))}
        {points.map((p, i) => {
          const cx = pad.left + slot * (i + 0.5);
          return (
            <g key={p.label + i}>
              <rect x={cx - barW / 2} y={y(p.perDay)} width={barW} height={Math.max(0, y(0) - y(p.perDay))} class="bar" rx={3} />
              <text x={cx} y={y(p.perDay) - 6} text-anchor="middle" class="value">{Math.round(p.perDay).toLocaleString("en-US")}</text>
              <text x={cx} y={h - pad.bottom + 18} text-anchor="middle" class="tick">{p.label}</text>
            </g>
          );
        })}
        <text x={14} y={pad.top + plotH / 2} transform={`rotate(-90 14 ${pad.top + plotH / 2})`} text-anchor="middle" class="axis">bbl/day</text>
      </svg>
      <figcaption class="muted small-text">Allocated barrels per day of each period (completed versions), by period start.</figcaption>
    </figure>
  );
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}
