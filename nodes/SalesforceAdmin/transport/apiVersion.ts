/** The one Salesforce API version every call of this package uses (Winter '25). */
export const API_VERSION = '62.0';

/**
 * The version the SOAP login() of the password credential uses, pinned apart from API_VERSION:
 * Salesforce retired SOAP login() from API 65.0 on (and for every version in Summer '27), so
 * raising API_VERSION must not take the legacy sign-in with it.
 */
export const SOAP_LOGIN_API_VERSION = '62.0';
