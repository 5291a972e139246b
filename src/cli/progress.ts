/** A download progress bar on stderr: redrawn in place on a terminal, a line per 10% otherwise. */
import type { DownloadProgress } from "../models/download.js";
import { formatBytes } from "../models/memory.js";

export function downloadProgressBar(label: string, stream: NodeJS.WriteStream = process.stderr): (p: DownloadProgress) => void {
  let lastDecile = -1;
  return (p) => {
    const fraction = p.total ? Math.min(p.received / p.total, 1) : 0;
    const speed = `${formatBytes(p.bytesPerSecond)}/s`;
    const eta = p.total && p.bytesPerSecond > 0 ? `ETA ${Math.ceil((p.total - p.received) / p.bytesPerSecond)}s` : "";
    const size = p.total ? `${formatBytes(p.received)} / ${formatBytes(p.total)}` : formatBytes(p.received);
    const resumed = p.resumedFrom > 0 ? ` (resumed at ${formatBytes(p.resumedFrom)})` : "";
    if (stream.isTTY) {
      const width = 24;
      const filled = Math.round(fraction * width);
      const bar = "█".repeat(filled) + "░".repeat(width - filled);
      stream.write(`\r${label} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}%  ${size}  ${speed}  ${eta}${resumed}\x1b[K`);
      if (fraction >= 1) stream.write("\n");
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${label} ${(fraction * 100).toFixed(0)}%  ${size}  ${speed}${resumed}\n`);
      }
    }
  };
}
