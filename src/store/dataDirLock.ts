// Who owns a SQLite data directory. The relational store's SQLite binding (node-sqlite3-wasm) locks
// its file by creating a `<file>.lock` folder (held for the process's life: db.ts opens the store in
// exclusive locking mode); a process killed while holding it (kill -9, OOM kill, power loss)
// leaves the folder behind and every later boot failed with "database is locked". So the data
// directory has one owner at a time, named in `credence.pid` with what identifies its process for
// good (pid, start time, boot id): at boot an owner that is
// alive refuses the start with a clear message, and a dead owner's leftover lock folders are
// removed, after which SQLite drops the interrupted transaction from its write-ahead log as usual.
import fs from 'node:fs'
import path from 'node:path'

import { BootRefusal } from '../errors'

const OWNER_FILE = 'credence.pid'
/** The lock folders node-sqlite3-wasm leaves for the store files Credence opens with it. */
const SQLITE_LOCK_FOLDERS = ['credence.sqlite.lock']

interface Owner {
  pid: number
  /** The process's start time in clock ticks since boot (Linux), so a reused pid is not taken for it. */
  startTicks?: string
  bootId?: string
}

export class DataDirInUseError extends BootRefusal {
  constructor(dataDir: string, pid: number) {
    super(`data directory ${dataDir} is in use by another Credence process (pid ${pid}); stop it first, or give this one its own CREDENCE_DATA_DIR`)
  }
}

const readOr = (file: string) => {
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch {
    return undefined
  }
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces). */
const startTicksOf = (pid: number) => readOr(`/proc/${pid}/stat`)?.split(') ').pop()?.split(' ')[19]
const bootId = () => readOr('/proc/sys/kernel/random/boot_id')

function isAlive(owner: Owner): boolean {
  // After a container restart the new process may well have the pid the old one had.
  if (owner.pid === process.pid) return false
  try {
    process.kill(owner.pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  if (owner.bootId && bootId() && owner.bootId !== bootId()) return false
  const ticks = startTicksOf(owner.pid)
  return !(owner.startTicks && ticks && owner.startTicks !== ticks)
}

function parseOwner(text: string | undefined): Owner | undefined {
  try {
    const owner = JSON.parse(text ?? '') as Owner
    return Number.isInteger(owner.pid) && owner.pid > 0 ? owner : undefined
  } catch {
    return undefined
  }
}

export interface DataDirClaim {
  /** Whether a dead owner's leftovers were cleared: the last run did not stop cleanly. */
  reclaimed: boolean
  release(): void
}

/** Makes this process the data directory's owner, or throws DataDirInUseError. */
export function claimDataDir(dataDir: string): DataDirClaim {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = path.join(dataDir, OWNER_FILE)
  const me: Owner = { pid: process.pid, startTicks: startTicksOf(process.pid), bootId: bootId() }
  let reclaimed = false
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 2) throw error
    }
    const text = readOr(file)
    const owner = parseOwner(text)
    if (owner && isAlive(owner)) throw new DataDirInUseError(dataDir, owner.pid)
    // The owner is gone. Only its file is removed, and only if it is still the one read: of two
    // processes reclaiming at once, one writes its own file and the other then finds it alive.
    if (readOr(file) === text) fs.rmSync(file, { force: true })
    for (const folder of SQLITE_LOCK_FOLDERS) fs.rmSync(path.join(dataDir, folder), { recursive: true, force: true })
    reclaimed = true
  }
  return {
    reclaimed,
    release: () => {
      if (parseOwner(readOr(file))?.pid === process.pid) fs.rmSync(file, { force: true })
    },
  }
}
