// Types for what Vite provides to browser code: import.meta.env and asset imports.
/// <reference types="vite/client" />
