// The toolbar above a flame graph: the zoom breadcrumb (the whole graph › ancestors of the
// zoomed frame › the zoomed frame; a long chain elides its middle), the zoom factor, a search box
// that highlights matching frames, and the colour choice. Shared by every flame graph view.
import type { ReactNode } from 'react';
import { formatCount } from '../format';
import type { ColourBy } from './draw';

/** Breadcrumbs show this many of the outermost and innermost ancestors; deeper chains elide the middle. */
const CRUMBS_EACH_END = 3;

/** A breadcrumb trail of `chain` (outermost first), eliding the middle of a long one. */
export function elideCrumbs<T>(chain: readonly T[]): (T | 'gap')[] {
  return chain.length > CRUMBS_EACH_END * 2 + 1 ? [...chain.slice(0, CRUMBS_EACH_END), 'gap', ...chain.slice(-CRUMBS_EACH_END)] : [...chain];
}

interface Props {
  /** The first crumb: "Whole trace", "All traces", … */
  wholeLabel: string;
  /** The zoomed frame's chain from the top (frame indexes), outermost first; empty when not zoomed to a frame. */
  chain: readonly number[];
  zoomed: number | null;
  nameOf(index: number): string;
  onZoomTo(index: number | null): void;
  /** Whole width / shown width. */
  zoomFactor: number;
  query: string;
  onQuery(query: string): void;
  /** Matches of the search; null when there is no search. */
  matchCount: number | null;
  /** The graph's name ("Flame graph"): the breadcrumb is "<name> zoom", the search box "Search the <name>". */
  graphName: string;
  colourBy: ColourBy;
  onColourBy(colourBy: ColourBy): void;
  /** Extra controls after the colour choice. */
  children?: ReactNode;
}

export function FlameToolbar(props: Props) {
  const { zoomed, zoomFactor, matchCount } = props;
  return (
    <div className="flame-toolbar">
      <nav className="breadcrumb" aria-label={`${props.graphName} zoom`}>
        <button type="button" className={zoomed === null ? 'crumb current' : 'crumb'} onClick={() => props.onZoomTo(null)}>
          {props.wholeLabel}
        </button>
        {elideCrumbs(props.chain).map((c, k) =>
          c === 'gap' ? (
            <span key={`gap${k}`} className="crumb-gap">
              › …
            </span>
          ) : (
            <span key={c} className="crumb-item">
              ›{' '}
              <button type="button" className={c === zoomed ? 'crumb current' : 'crumb'} aria-current={c === zoomed ? 'true' : undefined} onClick={() => props.onZoomTo(c)}>
                {props.nameOf(c)}
              </button>
            </span>
          ),
        )}
      </nav>
      <span className="flame-zoom muted mono" data-zoom={zoomFactor.toFixed(3)}>
        {zoomFactor > 1.001 ? `×${zoomFactor < 100 ? zoomFactor.toFixed(1) : formatCount(Math.round(zoomFactor))}` : ''}
      </span>
      <input type="search" className="flame-search" placeholder="Highlight spans…" aria-label={`Search the ${props.graphName.toLowerCase()}`} value={props.query} onChange={(e) => props.onQuery(e.target.value)} />
      <span className="flame-matches muted" role="status">
        {matchCount !== null ? `${formatCount(matchCount)} ${matchCount === 1 ? 'match' : 'matches'}` : ''}
      </span>
      <label className="flame-colour">
        Colour by{' '}
        <select value={props.colourBy} onChange={(e) => props.onColourBy(e.target.value as ColourBy)} aria-label="Colour frames by">
          <option value="service">service</option>
          <option value="type">span type</option>
        </select>
      </label>
      {props.children}
    </div>
  );
}
