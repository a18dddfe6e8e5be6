package org.autoenroll.api;

/**
 * Who a template is for and what a directory entry is: a user account, or a computer account
 * ({@code WS01$}). A computer never gets a user template's certificate, nor a user a computer's.
 *
 * @since 0.2
 */
public enum SubjectType { USER, COMPUTER }
