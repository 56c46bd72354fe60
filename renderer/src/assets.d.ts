// Stylesheets are imported for their side effect; vite bundles them as files.
declare module '*.css';
