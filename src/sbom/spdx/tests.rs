//! Cross-serialisation and corpus tests (reading /work/shared/corpus in place).
