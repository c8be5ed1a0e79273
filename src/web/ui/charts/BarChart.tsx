/**
 * A bar chart (ECharts, SVG renderer): categories × one or more series, vertical or horizontal, optionally
 * stacked. Numbers are shown with the caller's formatter (Khmer digits in Khmer). Resizes with its box.
 * The chart is an image for assistive technology; the same numbers are in the panel's table.
 */
import { useEffect, useRef } from 'react';
import { CHART_FONT, SERIES_COLOURS, echarts } from './echarts';

export interface BarSeries {
  name: string;
  data: number[];
  colour?: string;
}

export interface BarChartProps {
  categories: string[];
  series: BarSeries[];
  /** Bars along the x axis (long category names read better this way). */
  horizontal?: boolean;
  stacked?: boolean;
  /** Accessible name of the chart image. */
  label: string;
  format: (n: number) => string;
  height?: number;
  /** Width kept for category labels of horizontal bars (px). */
  labelWidth?: number;
}

const KHMER = /[\u1780-\u17FF]/;

/**
 * Break a category name into lines at spaces only (ECharts' own breaking cuts Khmer clusters apart), so that each
 * line fits about `widthPx` pixels. Khmer takes about 4.3 px per code unit at 13 px (vowels and subscripts are
 * separate code units), Latin about 6.6 px at 12 px.
 */
export function wrapLabel(s: string, widthPx: number): string {
  const perUnit = KHMER.test(s) ? 4.3 : 6.6;
  const max = Math.max(6, Math.floor(widthPx / perUnit));
  const lines: string[] = [];
  let line = '';
  for (const word of s.split(' ')) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

export function BarChart({ categories, series, horizontal = false, stacked = false, label, format, height, labelWidth = 150 }: BarChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    if (!box.current) return;
    const c = echarts.init(box.current, undefined, { renderer: 'svg' });
    chart.current = c;
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => c.resize()) : null;
    ro?.observe(box.current);
    return () => {
      ro?.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const legend = series.length > 1;
    const km = categories.some((c) => KHMER.test(c));
    const categoryAxis = {
      type: 'category' as const,
      data: horizontal ? categories.map((c) => wrapLabel(c, labelWidth)) : categories,
      inverse: horizontal, // the first category on top
      axisTick: { show: false },
      axisLabel: horizontal
        ? { lineHeight: km ? 21 : 15, fontSize: km ? 13 : 12, interval: 0 }
        : { fontSize: km ? 13 : 12, hideOverlap: true, lineHeight: km ? 21 : 15 },
    };
    const valueAxis = {
      type: 'value' as const,
      minInterval: 1,
      axisLabel: { formatter: (v: number) => format(v), fontSize: 11, hideOverlap: true },
      splitLine: { lineStyle: { color: '#e3e6ea' } },
    };
    c.setOption(
      {
        textStyle: { fontFamily: CHART_FONT, color: '#1b1f24' },
        color: SERIES_COLOURS,
        animation: false,
        aria: { enabled: false },
        grid: { left: 8, right: 16, top: legend ? 40 : 12, bottom: 8, containLabel: true },
        legend: legend ? { top: 0, left: 0, textStyle: { fontFamily: CHART_FONT, fontSize: 12 }, itemWidth: 14, itemHeight: 10 } : { show: false },
        tooltip: {
          trigger: 'axis',
          axisPointer: { type: 'shadow' },
          textStyle: { fontFamily: CHART_FONT },
          valueFormatter: (v: unknown) => (typeof v === 'number' ? format(v) : String(v ?? '')),
        },
        xAxis: horizontal ? valueAxis : categoryAxis,
        yAxis: horizontal ? categoryAxis : valueAxis,
        series: series.map((s, i) => ({
          type: 'bar' as const,
          name: s.name,
          data: s.data,
          stack: stacked ? 'total' : undefined,
          itemStyle: { color: s.colour ?? SERIES_COLOURS[i % SERIES_COLOURS.length] },
          barMaxWidth: 36,
          label:
            !stacked && categories.length <= 12
              ? { show: true, position: horizontal ? ('right' as const) : ('top' as const), formatter: (p: { value: unknown }) => format(Number(p.value)), fontSize: 11 }
              : undefined,
        })),
      },
      { notMerge: true },
    );
  }, [categories, series, horizontal, stacked, format, labelWidth]);

  const lines = horizontal ? Math.max(1, ...categories.map((c) => wrapLabel(c, labelWidth).split('\n').length)) : 1;
  const km = categories.some((c) => KHMER.test(c));
  const perRow = Math.max(32, lines * (km ? 23 : 16) + 10);
  const h = height ?? (horizontal ? Math.max(140, categories.length * perRow + (series.length > 1 ? 56 : 32)) : 280);
  return <div ref={box} className="chart" role="img" aria-label={label} style={{ height: h }} />;
}
