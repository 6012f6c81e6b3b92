// express ships no types and @types/express is not installed; the express peer only needs the
// module to exist for the type-checker (shorthand ambient module: its exports are `any`).
declare module 'express';
