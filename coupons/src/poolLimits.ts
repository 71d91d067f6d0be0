export const maxPoolSize = 1_000_000;
