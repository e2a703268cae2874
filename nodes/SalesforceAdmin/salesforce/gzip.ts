/**
 * gzip undone chunk by chunk with the platform's DecompressionStream (a web standard, no Node
 * module): for the rare body that arrives compressed without saying so (n8n's request helper
 * undoes only what Content-Encoding announces).
 */

/** Whether bytes start with the gzip magic number (a CSV never does). */
export const isGzip = (head: Uint8Array) =>
	head[0] === 0x1f && (head.length < 2 || head[1] === 0x8b);

export async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
	const decompressor = new DecompressionStream('gzip');
	const writer = decompressor.writable.getWriter();
	const reader = decompressor.readable.getReader();
	// the feeder ends when its source does (a caller that stops early closes the source)
	void (async () => {
		try {
			for await (const chunk of source) await writer.write(chunk);
			await writer.close();
		} catch (error) {
			await writer.abort(error).catch(() => undefined);
		}
	})();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
		}
	} finally {
		await reader.cancel().catch(() => undefined);
	}
}
