"""Names of identity documents as they read inside a sentence, shared by every country that uses
them (Panama, Ecuador, Peru, Paraguay and Nicaragua all say "el RUC")."""

from django.utils.translation import gettext_lazy as _

from .documents import Name

CC = Name(_("Cédula"), _("the cédula de ciudadanía"), _("of the cédula de ciudadanía"))
CEDULA = Name(_("Cédula"), _("the cédula"), _("of the cédula"))
CEDULA_JURIDICA = Name(_("Cédula jurídica"), _("the cédula jurídica"), _("of the cédula jurídica"))
CI = Name(_("CI"), _("the CI"), _("of the CI"))
CNPJ = Name(_("CNPJ"), _("the CNPJ"), _("of the CNPJ"))
CPF = Name(_("CPF"), _("the CPF"), _("of the CPF"))
CUI = Name(_("DPI"), _("the CUI of the DPI"), _("of the CUI of the DPI"))
CUIT = Name(_("CUIT"), _("the CUIT"), _("of the CUIT"))
DIMEX = Name(_("DIMEX"), _("the DIMEX"), _("of the DIMEX"))
DNI = Name(_("DNI"), _("the DNI"), _("of the DNI"))
DUI = Name(_("DUI"), _("the DUI"), _("of the DUI"))
NIE = Name(_("NIE"), _("the NIE"), _("of the NIE"))
NIF = Name(_("NIF"), _("the NIF"), _("of the NIF"))
NIT = Name(_("NIT"), _("the NIT"), _("of the NIT"))
NT = Name(_("NT"), _("the NT"), _("of the NT"))
RFC = Name(_("RFC"), _("the RFC"), _("of the RFC"))
RIF = Name(_("RIF"), _("the RIF"), _("of the RIF"))
RNC = Name(_("RNC"), _("the RNC"), _("of the RNC"))
RTN = Name(_("RTN"), _("the RTN"), _("of the RTN"))
RUC = Name(_("RUC"), _("the RUC"), _("of the RUC"))
RUT = Name(_("RUT"), _("the RUT"), _("of the RUT"))
TAX_ID = Name(_("Tax identification"), _("the tax identification"), _("of the tax identification"))
