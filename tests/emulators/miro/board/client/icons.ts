/** Inline SVG icons of the sandbox board (no network, no icon font). */

export const APP_ICON = `<svg viewBox="0 0 32 32" width="24" height="24" aria-hidden="true">
<rect x="3" y="9" width="11" height="15" rx="2.5" fill="#4262ff"/>
<rect x="18" y="9" width="11" height="15" rx="2.5" fill="#050038"/>
<path d="M8.5 9.5c0-5 15-5 15 0" fill="none" stroke="#ffb800" stroke-width="2.6" stroke-linecap="round"/>
<rect x="5.5" y="13" width="6" height="1.8" rx=".9" fill="#fff"/><rect x="5.5" y="16.5" width="4" height="1.8" rx=".9" fill="#fff"/>
<rect x="20.5" y="13" width="6" height="1.8" rx=".9" fill="#fff"/><rect x="20.5" y="16.5" width="4" height="1.8" rx=".9" fill="#fff"/>
</svg>`;

export const SELECT_ICON = `<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M6 3.5l12 7.2-5.3 1.3 3.3 5.9-2.4 1.3-3.3-5.9L6.4 17z" fill="currentColor"/></svg>`;

export const STICKY_ICON = `<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M4 5a1 1 0 0 1 1-1h14a1 1 0 0 1 1 1v9.5L14.5 20H5a1 1 0 0 1-1-1z" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/><path d="M14 20v-5a1 1 0 0 1 1-1h5" fill="none" stroke="currentColor" stroke-width="1.8"/></svg>`;

export const CLOSE_ICON = `<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>`;

export const LINK_OFF_ICON = `<svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true"><path d="M9.5 14.5l-1.8 1.8a2.8 2.8 0 0 1-4-4l2.6-2.6a2.8 2.8 0 0 1 4 0M14.5 9.5l1.8-1.8a2.8 2.8 0 0 1 4 4l-2.6 2.6a2.8 2.8 0 0 1-4 0M4 4l16 16" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"/></svg>`;

export const BLOCK_ICON = `<svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true"><circle cx="12" cy="12" r="8" fill="none" stroke="currentColor" stroke-width="2"/><path d="M6.5 6.5l11 11" stroke="currentColor" stroke-width="2"/></svg>`;
