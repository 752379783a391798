/**
 * The style nonce of this page. The host's Content-Security-Policy allows only `<style>` tags that
 * carry it and writes it into `<meta name="csp-nonce">`; Mantine, react-remove-scroll and
 * CodeMirror each add it to the styles they inject. Without the meta (Vite dev server, jsdom)
 * no nonce is used.
 */
export const styleNonce: string | undefined =
  (typeof document === 'undefined' ? undefined : document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content) || undefined;
