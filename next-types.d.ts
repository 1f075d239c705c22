// Next's ambient types (CSS modules, images), so `npm run typecheck` works before the first
// `next build` writes next-env.d.ts (which is not committed).
/// <reference types="next" />
/// <reference types="next/image-types/global" />
