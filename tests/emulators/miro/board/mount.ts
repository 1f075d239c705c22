import type { MountFn } from "../context";

/** The sandbox board and the SDK stand-in: placeholder until they are built. */
export const mountBoard: MountFn = () => {};
