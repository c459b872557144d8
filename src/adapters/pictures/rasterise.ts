import { Resvg } from '@resvg/resvg-js';
import { FONT_FAMILY, fontPath } from './font.ts';

/** Pictures are rasterised at 1.5 times their SVG size (1080 pixels wide): sharp on phone screens, small files. */
export const PIXEL_RATIO = 1.5;

/**
 * An SVG as PNG bytes, drawn by resvg with the shipped font only (`loadSystemFonts: false`): the same
 * picture on every machine. The font is given as a file, which resvg maps lazily; handing it over as
 * a buffer costs seconds per picture.
 */
export function svgToPng(svg: string, zoom = PIXEL_RATIO): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    background: '#ffffff',
    font: { fontFiles: [fontPath()], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}
