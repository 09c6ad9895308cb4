// How the accountant's scan cuts a receipt period into sub-ranges it reads side by side.

/** [start, end) cut into `count` contiguous sub-ranges at whole milliseconds (fewer when shorter). */
export function periodSlices(start: Date, end: Date, count: number): Array<[Date, Date]> {
  const from = start.getTime();
  const span = end.getTime() - from;
  const cuts = [
    ...new Set(Array.from({ length: count + 1 }, (_, i) => (i === count ? end.getTime() : from + Math.floor((span * i) / count)))),
  ];
  return cuts.slice(1).map((to, i) => [new Date(cuts[i]), new Date(to)]);
}
