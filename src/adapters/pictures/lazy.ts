import type { PictureRenderer } from '../../bot/pictures/picture-view.ts';

/**
 * The picture port, loading the drawing code (ECharts, resvg) on the first picture rather than at
 * start-up: most processes never draw one, and the libraries take a while to load.
 */
export function lazyPictureRenderer(): PictureRenderer {
  let loaded: Promise<PictureRenderer> | undefined;
  return {
    async render(view) {
      loaded ??= import('./index.ts').then((m) => m.createPictureRenderer());
      return (await loaded).render(view);
    },
  };
}
