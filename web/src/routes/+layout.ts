// A single-page app: everything renders in the browser against the engine's API.
export const ssr = false;
export const prerender = false;
