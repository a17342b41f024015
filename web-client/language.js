// The interface's language: the one chosen on this device, or the first of
// the browser's that Kring speaks, and its catalog fetched from the server.

import { chooseLanguage, fetchCatalog, useCatalog, SOURCE_LANGUAGE } from './strings.js';
import { savedLanguage } from './device.js';

const CATALOG_RETRY_MS = 3000;

export function firstLanguage() {
  return savedLanguage() ?? chooseLanguage(navigator.languages ?? [navigator.language]);
}

// The catalog of `code`, or English's if it cannot be had, in use; tried
// again every few seconds while the network gives neither (the page has no
// words without one). Resolves to the language ({code, dir}).
export async function loadLanguage(code) {
  for (;;) {
    for (const tried of new Set([code, SOURCE_LANGUAGE])) {
      try {
        return useCatalog(await fetchCatalog(tried));
      } catch {
        // the next one, or another round
      }
    }
    await new Promise((resolve) => setTimeout(resolve, CATALOG_RETRY_MS));
  }
}
