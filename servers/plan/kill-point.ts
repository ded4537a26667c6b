// Crash points for the crash test: HEARTH_PLAN_KILL_AT=<step id>:<boundary> makes the process kill
// itself with SIGKILL right after that journal boundary of that step (`*` matches any step), which is
// how the test proves a run survives a kill at every boundary. Unset, it does nothing.
export const BOUNDARIES = ['started', 'called', 'returned', 'finished'] as const;
export type Boundary = (typeof BOUNDARIES)[number];

export type KillPoint = (step: string, boundary: Boundary) => void;

export function killPoint(spec: string | undefined): KillPoint {
  if (!spec) return () => undefined;
  const [step, boundary] = spec.split(':');
  return (at, reached) => {
    if ((step === '*' || step === at) && boundary === reached) process.kill(process.pid, 'SIGKILL');
  };
}
