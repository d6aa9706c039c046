import adapter from '@sveltejs/adapter-static';

/** The notebook is a single-page app: the engine's own server serves its build and the API. */
export default {
  kit: {
    adapter: adapter({ pages: 'web/build', assets: 'web/build', fallback: 'index.html', strict: false }),
    outDir: 'web/.svelte-kit',
    files: {
      src: 'web/src',
      routes: 'web/src/routes',
      lib: 'web/src/lib',
      appTemplate: 'web/src/app.html',
      assets: 'web/static',
    },
  },
};
