/** Where something sits in a rule file (1-based line and column). */
export interface Position {
  file: string;
  line: number;
  column: number;
}

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** A problem found while loading rule files, ready to print. */
export interface Problem {
  severity: ProblemSeverity;
  position: Position;
  message: string;
  /** Compiler-style text with the source line and a caret, when one was rendered (rule conditions). */
  rendered?: string;
  /** The rule whose condition the problem is about (condition diagnostics only). */
  ruleId?: string;
}

/** `file:line:column: severity: message`, or the pre-rendered form when there is one. */
export function formatProblem(problem: Problem): string {
  if (problem.rendered !== undefined) return problem.rendered;
  const { file, line, column } = problem.position;
  return `${file}:${line}:${column}: ${problem.severity}: ${problem.message}`;
}

export function hasErrorProblems(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
