// What a patch says of itself (not a patch: the one other file here); index.ts lists every patch
// and checks them at boot.
export interface CredoPatch {
  /** Its file in this folder. */
  name: string
  /** The package whose members it replaces or reads, at the version it was written against. */
  targets: { package: string; version: string }
  /** What goes wrong without it, in a line (the file's header says it in full). */
  why: string
  /** The upstream issue or pull request (owner/repo#n), and whether a later release fixed it. */
  upstream: string
  /** The members it relies on; each must exist (a method, getter or field) in the installed package. */
  members: () => Array<{ owner: string; object: object; member: string }>
}
