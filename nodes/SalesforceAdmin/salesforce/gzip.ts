/**
 * gzip undone chunk by chunk, for the rare body that arrives compressed without saying so (n8n's
 * request helper undoes only what Content-Encoding announces). Inflated by fflate (bundled):
 * n8n's verified nodes may not use Node's zlib, and the runtime's DecompressionStream takes in
 * its whole input ahead of the reader (no back-pressure in Node 20), where a 1 GB file must stay
 * in bounded memory. fflate inflates each compressed chunk synchronously before the next one is
 * pulled, so only one chunk's output is held at a time. A truncated or corrupt stream throws.
 */
import { Gunzip } from 'fflate';

/** Whether bytes start with the gzip magic number (a CSV never does). */
export const isGzip = (head: Uint8Array) =>
	head[0] === 0x1f && (head.length < 2 || head[1] === 0x8b);

export async function* gunzip(compressed: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
	let inflated: Uint8Array[] = [];
	const inflater = new Gunzip((chunk) => inflated.push(chunk));
	const take = () => {
		const ready = inflated.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength));
		inflated = [];
		return ready;
	};
	for await (const chunk of compressed) {
		inflater.push(chunk);
		yield* take();
	}
	inflater.push(new Uint8Array(0), true);
	yield* take();
}
