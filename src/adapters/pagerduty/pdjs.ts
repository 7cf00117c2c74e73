/**
 * The two functions of @pagerduty/pdjs that client.ts calls. client.ts imports this module at its first call to
 * PagerDuty, so pdjs and the fetch polyfill it brings (cross-fetch, node-fetch, whatwg-url) are not loaded at
 * every start. Through this ES module the functions keep their names in the built bundle too, where a dynamic
 * import of pdjs itself (CommonJS) would offer only its default export.
 */
export { api } from '@pagerduty/pdjs';
export { request } from '@pagerduty/pdjs/build/src/common.js';
