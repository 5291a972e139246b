/**
 * Writing the run folder failing for a reason the user can fix (no space, no permission, a
 * path through a file, a read-only disk) is a one-line QmathError naming the folder and the
 * reason; anything else is left as it is (a bug).
 */
import { QmathError, isQmathError } from "../errors.js";

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is used up",
  EFBIG: "a file grew larger than the system allows (a full disk or a file size limit)",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOTDIR: "part of the path is a file, not a folder",
  EISDIR: "a folder is where a file should be",
  EEXIST: "a file is where a folder should be",
  EIO: "an input/output error of the disk",
  ENAMETOOLONG: "the path is too long",
};

export function outputError(e: unknown, dir: string, saved?: string): unknown {
  if (isQmathError(e)) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const reason = code !== undefined ? REASONS[code] : undefined;
  if (reason === undefined) return e;
  const path = (e as NodeJS.ErrnoException).path;
  return new QmathError(
    "bad_input",
    `Cannot write the run folder ${dir}${path && path !== dir ? ` (${path})` : ""}: ${reason} (${code}).${saved ? ` ${saved}` : ""}`,
    "Free space or fix the folder's permissions and run the same command again, or use another --out folder.",
    { cause: e },
  );
}
