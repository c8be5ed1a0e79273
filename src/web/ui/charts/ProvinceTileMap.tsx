/**
 * Cambodia's 25 provinces as a tile-grid cartogram (SVG): one rounded square per province, coloured by a value
 * (sequential classes, legend below), labelled with a short name and the province number. Each tile is a
 * button ("Province: N persons"); choosing one calls onSelect.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { CAMBODIA_TILES, TILE_COLS, TILE_ROWS, colourClasses, colourOf, isDark, ZERO_COLOUR } from './tileGrid';

export interface ProvinceTileMapProps {
  /** Value per province code (missing = 0). */
  values: Record<string, number>;
  lang: 'en' | 'km';
  /** Full province name for the accessible label and the tooltip. */
  nameOf: (code: string) => string;
  /** The province's number (1–25) as shown on the tile. */
  numberOf: (code: string) => number;
  format: (n: number) => string;
  /** "Phnom Penh: 70 persons". */
  tileLabel: (name: string, value: number) => string;
  selected?: string | null;
  onSelect?: (code: string) => void;
  title: string;
  legendTitle: string;
  noneLabel: string;
}

const CELL = 100;
const GAP = 6;
const PAD = 2;

export function ProvinceTileMap({ values, lang, nameOf, numberOf, format, tileLabel, selected, onSelect, title, legendTitle, noneLabel }: ProvinceTileMapProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  // On a phone the map is ~330 px wide: bigger type (in map units) keeps the labels readable.
  const [compact, setCompact] = useState(false);
  useEffect(() => {
    const el = wrap.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([e]) => setCompact(e.contentRect.width < 480));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // Names that come out wider than the tile are squeezed to fit (fonts differ from one device to another).
  useLayoutEffect(() => {
    const root = svg.current;
    if (!root) return;
    for (const ts of Array.from(root.querySelectorAll<SVGTSpanElement>('tspan.tile-line'))) {
      ts.removeAttribute('textLength');
      ts.removeAttribute('lengthAdjust');
      const max = CELL - GAP - 8;
      const w = typeof ts.getComputedTextLength === 'function' ? ts.getComputedTextLength() : 0;
      if (w > max) {
        ts.setAttribute('textLength', String(max));
        ts.setAttribute('lengthAdjust', 'spacingAndGlyphs');
      }
    }
  });

  const classes = colourClasses(CAMBODIA_TILES.map((t) => values[t.code] ?? 0));
  const width = TILE_COLS * CELL + PAD * 2;
  const height = TILE_ROWS * CELL + PAD * 2;
  const size = compact
    ? { name: lang === 'km' ? 21 : 18, line: lang === 'km' ? 25 : 19, num: 16, value: 23 }
    : { name: lang === 'km' ? 17 : 15, line: lang === 'km' ? 21 : 16, num: 13, value: 20 };
  const key = (code: string) => (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect?.(code);
    }
  };
  return (
    <div className="tile-map" ref={wrap}>
      <svg ref={svg} viewBox={`0 0 ${width} ${height}`} className="tile-map-svg" role="group" aria-label={title} lang={lang}>
        {CAMBODIA_TILES.map((t) => {
          const v = values[t.code] ?? 0;
          const fill = colourOf(v, classes);
          const ink = isDark(fill) ? '#ffffff' : '#1b1f24';
          const x = PAD + t.col * CELL + GAP / 2;
          const y = PAD + t.row * CELL + GAP / 2;
          const s = CELL - GAP;
          const lines = lang === 'km' ? t.km : t.en;
          const label = tileLabel(nameOf(t.code), v);
          const isSel = selected === t.code;
          // The name in the upper part, the number (left) and the value (right) on the bottom line.
          const nameMid = y + (compact ? 36 : 38);
          const firstBaseline = nameMid - ((lines.length - 1) * size.line) / 2 + size.name * 0.35;
          return (
            <g
              key={t.code}
              role="button"
              tabIndex={0}
              aria-label={label}
              aria-pressed={isSel}
              className={`tile${isSel ? ' tile--selected' : ''}`}
              data-province={t.code}
              onClick={() => onSelect?.(t.code)}
              onKeyDown={key(t.code)}
            >
              <title>{label}</title>
              <rect x={x} y={y} width={s} height={s} rx={10} ry={10} fill={fill} className="tile-rect" />
              <text x={x + s / 2} y={firstBaseline} textAnchor="middle" className="tile-name" fontSize={size.name} fill={ink} aria-hidden="true">
                {lines.map((l, i) => (
                  <tspan key={i} className="tile-line" x={x + s / 2} dy={i === 0 ? 0 : size.line}>
                    {l}
                  </tspan>
                ))}
              </text>
              <text x={x + 7} y={y + s - 9} className="tile-number" fontSize={size.num} fill={ink} aria-hidden="true">
                {lang === 'km' ? format(numberOf(t.code)) : numberOf(t.code)}
              </text>
              <text x={x + s - 7} y={y + s - 9} textAnchor="end" className="tile-value" fontSize={size.value} fill={ink} aria-hidden="true">
                {format(v)}
              </text>
            </g>
          );
        })}
      </svg>
      <div className="tile-legend">
        <span className="tile-legend-title">{legendTitle}</span>
        <span className="tile-legend-item">
          <span className="tile-legend-swatch" style={{ background: ZERO_COLOUR }} />
          {noneLabel}
        </span>
        {classes.map((c) => (
          <span key={c.min} className="tile-legend-item">
            <span className="tile-legend-swatch" style={{ background: c.colour }} />
            {c.min === c.max ? format(c.min) : `${format(c.min)}–${format(c.max)}`}
          </span>
        ))}
      </div>
    </div>
  );
}
