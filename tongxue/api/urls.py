"""/api/v1/: the router of every app's endpoints, the token login and the OpenAPI schema.

The version is part of the path (URLPathVersioning); only the versions in
REST_FRAMEWORK["ALLOWED_VERSIONS"] are answered.
"""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import congress, congress_sitting, core, elections, notifications, proposals, rights, unions

router = DefaultRouter()
router.register("universities", core.UniversityViewSet, basename="university")
router.register("campuses", core.CampusViewSet, basename="campus")
router.register("colleges", core.CollegeViewSet, basename="college")
router.register("majors", core.MajorViewSet, basename="major")
router.register("classes", core.StudentClassViewSet, basename="class")
router.register("students", core.StudentViewSet, basename="student")
router.register("unions", unions.UnionViewSet, basename="union")
router.register("terms", unions.TermViewSet, basename="term")
router.register("departments", unions.DepartmentViewSet, basename="department")
router.register("memberships", unions.MembershipViewSet, basename="membership")
router.register("associations", unions.AssociationViewSet, basename="association")
router.register("notifications", notifications.NotificationViewSet, basename="notification")
router.register("rights/cases", rights.CaseViewSet, basename="rights-case")
router.register(r"rights/public/(?P<university_code>[\w-]+)/cases", rights.PublicBoardViewSet,
                basename="rights-public-case")
router.register("rights/categories", rights.CategoryViewSet, basename="rights-category")
router.register("rights/offices", rights.OfficeViewSet, basename="rights-office")
router.register("congress/sessions", congress.CongressSessionViewSet, basename="congress-session")
router.register("congress/apportionments", congress.ApportionmentViewSet, basename="congress-apportionment")
router.register("congress/delegates", congress.DelegateViewSet, basename="congress-delegate")
router.register("congress/sessions", congress_sitting.SittingViewSet, basename="congress-sitting")
router.register("congress/resolutions", congress_sitting.ResolutionViewSet, basename="congress-resolution")
router.register("elections/public", elections.PublicElectionViewSet, basename="election-public")
router.register("elections", elections.ElectionViewSet, basename="election")
router.register("proposals", proposals.ProposalViewSet, basename="proposal")
router.register(r"proposals/public/(?P<session_pk>\d+)", proposals.PublicProposalViewSet,
                basename="proposal-public")

urlpatterns = [
    path("<version>/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("<version>/auth/token/", core.ObtainTokenView.as_view(), name="api-token"),
    path("<version>/me/", core.MeView.as_view(), name="api-me"),
    path("<version>/", include((router.urls, "api"))),
]
