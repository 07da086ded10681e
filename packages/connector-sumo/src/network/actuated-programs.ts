/** A signal's timing limits: what the city configures for its phases. */
export interface PhaseLimits {
  readonly minGreenS: number;
  readonly yellowS: number;
  readonly allRedS: number;
}

/** The tlLogic elements of a netconvert network, renamed to `programId`. */
export function programsOf(netText: string, programId: string): string[] {
  const programs = netText.match(/<tlLogic [\s\S]*?<\/tlLogic>/g) ?? [];
  return programs.map((program) => program.replace('programID="0"', `programID="${programId}"`));
}

/** tlLogic elements as an additional file. */
export function additionalFile(programs: readonly string[]): string {
  return `<additional>\n${programs.map((program) => `    ${program}`).join('\n')}\n</additional>\n`;
}

/**
 * One of netconvert's actuated programs under a city's timing limits: the same phases and the same
 * gap-out (SUMO's), but each green lasts at least `minGreenS`, each yellow `yellowS`, and an all-red
 * of `allRedS` follows it. This is the fair baseline for a controller that runs under those limits:
 * it separates what the controller loses from what the limits cost. A program whose greens all show
 * the same state (a corner whose movements never conflict, which netconvert still cycles through
 * empty yellows) becomes one fixed green, as the traffic plugin's merged phases run it.
 * Signals without a limit entry are kept as netconvert made them.
 */
export function withPhaseLimits(program: string, limits: PhaseLimits | undefined): string {
  if (limits === undefined) return program;
  const phases = [...program.matchAll(/<phase [^>]*\/>/g)].map((match) => match[0]);
  const stateOf = (phase: string) => /state="([^"]*)"/.exec(phase)![1]!;
  const greens = phases.filter((phase) => /[Gg]/.test(stateOf(phase)));
  const open = program.slice(0, program.indexOf('<phase'));
  const close = program.slice(program.lastIndexOf('/>') + 2);
  const indent = /\n(\s*)<phase/.exec(program)?.[1] ?? '        ';
  if (greens.length > 0 && greens.every((phase) => stateOf(phase) === stateOf(greens[0]!))) {
    const single = `<phase duration="3600" state="${stateOf(greens[0]!)}"/>`;
    return `${open.replace('type="actuated"', 'type="static"')}${single}${close}`;
  }
  const rewritten = phases.flatMap((phase) => {
    const state = stateOf(phase);
    if (/[Gg]/.test(state)) {
      const minDur = Number(/minDur="([^"]*)"/.exec(phase)?.[1] ?? 0);
      const maxDur = Number(/maxDur="([^"]*)"/.exec(phase)?.[1] ?? minDur);
      const min = Math.max(minDur, limits.minGreenS);
      return [phase.replace(/minDur="[^"]*"/, `minDur="${min}"`).replace(/maxDur="[^"]*"/, `maxDur="${Math.max(maxDur, min)}"`)];
    }
    if (/y/.test(state)) {
      const yellow = phase.replace(/duration="[^"]*"/, `duration="${limits.yellowS}"`);
      return limits.allRedS > 0 ? [yellow, `<phase duration="${limits.allRedS}" state="${state.replace(/y/g, 'r')}"/>`] : [yellow];
    }
    return [phase];
  });
  return `${open}${rewritten.join(`\n${indent}`)}${close}`;
}
