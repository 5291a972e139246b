/** Addresses of files on the Hugging Face Hub. */
import { hubEndpoint } from "../config.js";

export function hubFileUrl(repo: string, file: string, endpoint = hubEndpoint()): string {
  return `${endpoint}/${repo}/resolve/main/${encodeURIComponent(file)}`;
}
