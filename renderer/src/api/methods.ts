// The API's method names, shared with the Electron preload (a dependency-free module of the service).
export { API_METHOD_NAMES } from '../../../runner/service/method-names';
