/**
 * yazl checksums every byte it streams with `buffer-crc32`, a JavaScript
 * loop that ran at about 430 MiB/s here: the ZIP endpoint's bottleneck
 * (bench: ZIP at 0.5x the speed of streaming one file). Node's own
 * `zlib.crc32` (since 20.15) computes the same IEEE CRC-32 in native code
 * at about 2 GiB/s, so yazl's copy of the module is pointed at it. The
 * result is pinned by test/archive/zip.test.ts, which recomputes every
 * entry's CRC.
 */
import { createRequire } from 'node:module';
import zlib from 'node:zlib';

type Crc32Module = {
  unsigned: (input: Buffer | string, previous?: number) => number;
};

const requireFromHere = createRequire(import.meta.url);
const requireFromYazl = createRequire(requireFromHere.resolve('yazl'));
const yazlCrc32 = requireFromYazl('buffer-crc32') as Crc32Module;

if (typeof zlib.crc32 === 'function') {
  yazlCrc32.unsigned = (input, previous = 0) => zlib.crc32(input, previous);
}
