import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { TrendPoint } from "../../domain/statement-lines";
import { bbl } from "../../format";

/** The narrowest the chart is drawn (px): below it, it scrolls sideways inside its figure. */
const MIN_WIDTH = 280;
/** Room a period's label ("2026-09-01") and a bar's value take at 11 px, with a gap. */
const LABEL_ROOM = 70;
const VALUE_ROOM = 40;

/**
 * A partner's allocation per period (bbl/day) as bars, drawn as plain SVG. Drawn at the width it
 * is shown at (one SVG unit a pixel), so its text stays 11 px on a phone as on a desktop; where the
 * periods are too many for their labels, every second (third…) is labelled, the newest always.
 */
export function TrendChart({ points, title, restated = false }: { points: TrendPoint[]; title: string; restated?: boolean }) {
  const box = useRef<HTMLElement>(null);
  const [w, setW] = useState(640);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const fit = () => setW(Math.max(MIN_WIDTH, Math.round(el.clientWidth)));
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(el);
    return () => observer.disconnect();
  }, [points.length === 0]);
  if (points.length === 0) return <p class="muted">No completed statements yet.</p>;
  const h = 220;
  const pad = { left: 64, right: 12, top: 22, bottom: 36 };
  const max = Math.max(...points.map((p) => p.perDay), 1);
  const step = niceStep(max / 4);
  const top = Math.ceil(max / step) * step;
  const plotW = w - pad.left - pad.right;
  const plotH = h - pad.top - pad.bottom;
  const slot = plotW / points.length;
  const barW = Math.min(56, slot * 0.6);
  const labelEvery = Math.max(1, Math.ceil(LABEL_ROOM / slot));
  const valueEvery = Math.max(1, Math.ceil(VALUE_ROOM / slot));
  const shown = (i: number, every: number) => (points.length - 1 - i) % every === 0;
  const y = (v: number) => pad.top + (1 - v / top) * plotH;
  const ticks: number[] = [];
  for (let t = 0; t <= top + 1e-9; t += step) ticks.push(t);
  return (
    <figure class="trend" ref={box}>
      <svg viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-labelledby="trend-title trend-desc" data-testid="trend-chart">
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
              {shown(i, valueEvery) && <text x={cx} y={y(p.perDay) - 6} text-anchor="middle" class="value">{Math.round(p.perDay).toLocaleString("en-US")}</text>}
              {shown(i, labelEvery) && <text x={cx} y={h - pad.bottom + 18} text-anchor="middle" class="tick">{p.label}</text>}
            </g>
          );
        })}
        <text x={14} y={pad.top + plotH / 2} transform={`rotate(-90 14 ${pad.top + plotH / 2})`} text-anchor="middle" class="axis">bbl/day</text>
      </svg>
      <figcaption class="muted small-text">
        Allocated barrels per day of each period (completed versions), by period start.
        {restated && " A restated period shows its restated figure; its row below says whether and where the difference is settled."}
      </figcaption>
    </figure>
  );
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
}
