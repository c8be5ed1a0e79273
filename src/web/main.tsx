import '@fontsource/noto-sans/400.css';
import '@fontsource/noto-sans/700.css';
import '@fontsource/noto-sans-khmer/400.css';
import '@fontsource/noto-sans-khmer/700.css';
import './styles.css';
import './i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Root } from './outreach/Root';
import { installSignInGuard } from './offline/guard';
import { registerServiceWorker } from './offline/sw';

// Outreach devices: a refused sign-in of a disabled account wipes its device store; the service worker makes the
// app open with no network after one online visit; Root opens the outreach app offline when a store exists.
installSignInGuard();
registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
