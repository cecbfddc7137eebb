// Entry of the script every SDK window page loads (/assets/sdk-frame.js): which window this is
// comes from the page's xpay-embed-state meta tag, written by the server.
import { createBridge } from './bridge.js';
import { runElementWindow } from './element-window.js';
import { runEmbedWindow, type EmbedState } from './embed-window.js';

function pageState(doc: Document): EmbedState {
  const meta = doc.querySelector('meta[name="xpay-embed-state"]');
  try {
    return JSON.parse(meta?.getAttribute('content') ?? '{}') as EmbedState;
  } catch {
    return { state: 'form' };
  }
}

const state = pageState(document);
const bridge = createBridge(window);
if (state.state === 'element') runElementWindow(document, bridge);
else runEmbedWindow(document, bridge, state);
