/** The one Salesforce API version every call of this package uses (Winter '25). */
export const API_VERSION = '62.0';
