// The catalog and the settings, fetched once and shared by the Run page and the builder.
import { useQuery } from '@tanstack/react-query';
import { useCurator } from '../api';

/** Stage types, backends and templates (they do not change while the app runs). */
export function useCatalog() {
  const api = useCurator();
  return useQuery({ queryKey: ['catalog'], queryFn: () => api.catalog(), staleTime: Infinity });
}

/** The app's settings (the output folder for template runs). */
export function useSettings() {
  const api = useCurator();
  return useQuery({ queryKey: ['settings'], queryFn: () => api.settings() });
}
