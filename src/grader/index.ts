/** Answer grading for MATH/AMC/AIME: extraction, normalisation, structural and symbolic comparison. */
export { extractAnswer } from './extract';
export { isEquivalent, explainEquivalence, type GradeExplanation } from './equivalent';
export { normalizeAnswer, type NormalizedAnswer } from './normalize';
export { parseAnswer, describeAnswer, type Answer as ParsedAnswer } from './structure';
export { latexToMathjs } from './toMath';
export { NUMERIC_REL_TOL, SYMBOLIC_REL_TOL } from './compare';
