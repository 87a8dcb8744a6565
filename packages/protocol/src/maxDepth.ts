/** Decoders refuse values nested deeper than this. */
export const MAX_DEPTH = 256;
