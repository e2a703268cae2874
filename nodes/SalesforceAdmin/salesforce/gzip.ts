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

/**
 * The bytes of a stream, gunzipped when they start with the gzip magic bytes: Salesforce (or a
 * proxy) may send an Event Log File compressed without saying so (n8n's client undoes only what
 * Content-Encoding announces). A reader that stops early closes the source (a download's socket).
 */
export async function* gunzipIfNeeded(
	source: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<Buffer> {
	const iterator = source[Symbol.asyncIterator]();
	const asBytes = (chunk: Uint8Array | string) =>
		typeof chunk === 'string'
			? Buffer.from(chunk)
			: Buffer.isBuffer(chunk)
				? chunk
				: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
	let head: Buffer = Buffer.alloc(0);
	while (head.length < 2) {
		const next = await iterator.next();
		if (next.done) break;
		head = head.length ? Buffer.concat([head, asBytes(next.value)]) : asBytes(next.value);
	}
	async function* rest(): AsyncGenerator<Buffer> {
		let done = false;
		try {
			if (head.length) yield head;
			for (;;) {
				const next = await iterator.next();
				if (next.done) {
					done = true;
					return;
				}
				yield asBytes(next.value);
			}
		} finally {
			if (!done) await iterator.return?.();
		}
	}
	if (head.length && isGzip(head)) yield* gunzip(rest());
	else yield* rest();
}
