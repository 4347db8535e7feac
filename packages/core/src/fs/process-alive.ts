/**
 * Whether a process with this id is alive: signal 0 reaches it, or it exists
 * but belongs to another user (EPERM). Used to tell files left by ended
 * processes (staging folders, lock files) from those of running ones.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
